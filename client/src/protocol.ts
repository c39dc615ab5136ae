import { RequestType } from 'vscode-languageclient';
import type { RequestDescriptor } from '../../shared/protocol';

/** The client-side request type of a shared descriptor (see `shared/protocol.ts`). */
export function requestType<P, R>(d: RequestDescriptor<P, R>): RequestType<P, R, void> {
	return new RequestType<P, R, void>(d.method);
}
