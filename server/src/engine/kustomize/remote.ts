/** A resource entry kustomize would fetch from the network (git repository or URL), which the renderer does not. */
export function isRemote(entry: string): boolean {
	return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^git@/.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || /[?&](ref|version|submodules|timeout)=/.test(entry) || /\.git(\/\/|$)/.test(entry);
}
