/**
 * The webview's own Content-Security-Policy for the compliance report: nothing may load or run,
 * inline styles and data: images only. It is added in front of whatever the HTML carries (every
 * policy of a page applies, so the report's own CSP can only make it stricter).
 */
export const REPORT_WEBVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;";

/** The report HTML with the webview CSP as the first element of its head. */
export function withWebviewCsp(html: string): string {
	const meta = `<meta http-equiv="Content-Security-Policy" content="${REPORT_WEBVIEW_CSP}">`;
	const head = /<head(\s[^>]*)?>/i.exec(html);
	if (head) return `${html.slice(0, head.index + head[0].length)}\n${meta}${html.slice(head.index + head[0].length)}`;
	return `<!DOCTYPE html><html><head>${meta}</head><body>${html}</body></html>`;
}
