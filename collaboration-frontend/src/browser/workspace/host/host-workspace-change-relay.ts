import type { HostWorkspaceClient, WorkspaceFileChange } from '@ensemble/collaboration-backend/lib/common/workspace-sharing-protocol';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import { injectable } from '@theia/core/shared/inversify';

/** The frontend end of the backend's change reports (the RPC client object), as an event. */
@injectable()
export class HostWorkspaceChangeRelay implements HostWorkspaceClient {
    private readonly emitter = new Emitter<readonly WorkspaceFileChange[]>();
    readonly onChanges: Event<readonly WorkspaceFileChange[]> = this.emitter.event;

    onDidChangeFiles(changes: readonly WorkspaceFileChange[]): void {
        this.emitter.fire(changes);
    }
}
