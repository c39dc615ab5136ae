import { NotificationType, RequestType } from 'vscode-languageserver';
import type { NotificationDescriptor, RequestDescriptor } from '../../../shared/protocol';

/** The LSP request type of a shared descriptor (see `shared/protocol.ts`). */
export function requestType<P, R>(d: RequestDescriptor<P, R>): RequestType<P, R, void> {
	return new RequestType<P, R, void>(d.method);
}

/** The LSP notification type of a shared descriptor. */
export function notificationType<P>(d: NotificationDescriptor<P>): NotificationType<P> {
	return new NotificationType<P>(d.method);
}
