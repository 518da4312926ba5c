import type URI from '@theia/core/lib/common/uri';
import { injectable } from '@theia/core/shared/inversify';
import type { FileStat } from '@theia/filesystem/lib/common/files';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';

/** What a guest's window shows while it is in a session: the host's shared folders. */
export interface GuestWorkspace {
    /** The room-level `ensemble:` URI; names the workspace. */
    readonly uri: URI;
    /** Shown in the window title, e.g. "Hana's workspace". */
    readonly name: string;
    readonly roots: ReadonlyArray<{ readonly uri: URI; readonly name: string }>;
}

/**
 * Theia's WorkspaceService, able to show a guest the host's folders without
 * touching the guest's own disk: no workspace file is written, the recent
 * workspaces and the URL keep the guest's own workspace, and leaving the
 * session brings that workspace back. (Adding roots the usual way would
 * create an untitled workspace file that outlives the session.)
 */
@injectable()
export class GuestAwareWorkspaceService extends WorkspaceService {
    private guest: GuestWorkspace | undefined;
    private ownWorkspace: FileStat | undefined;

    get guestWorkspace(): GuestWorkspace | undefined {
        return this.guest;
    }

    /** Shows the host's folders in place of this window's workspace (or updates them). */
    async openGuestWorkspace(workspace: GuestWorkspace): Promise<void> {
        const first = this.guest === undefined;
        if (first) {
            this.ownWorkspace = this._workspace;
        }
        this.guest = workspace;
        if (first || this._workspace?.resource.toString() !== workspace.uri.toString()) {
            await this.setWorkspace({
                resource: workspace.uri,
                name: workspace.name,
                // A "file": Theia shows every root as a top-level folder, as for a multi-root workspace.
                isFile: true, isDirectory: false, isSymbolicLink: false, isReadonly: false,
                mtime: 0, ctime: 0, size: 0, etag: workspace.uri.toString()
            });
        } else {
            await this.updateWorkspace();
        }
    }

    /** Gives the window its own workspace back. */
    async closeGuestWorkspace(): Promise<void> {
        if (!this.guest) {
            return;
        }
        this.guest = undefined;
        const own = this.ownWorkspace;
        this.ownWorkspace = undefined;
        await this.setWorkspace(own);
    }

    protected override async computeRoots(): Promise<FileStat[]> {
        if (!this.guest) {
            return super.computeRoots();
        }
        return this.guest.roots.map(root => ({
            resource: root.uri, name: root.name,
            isFile: false, isDirectory: true, isSymbolicLink: false, isReadonly: false
        }));
    }

    /** While a guest, the host's workspace must not become this machine's most recent one: it would not open after the session. */
    protected override isRemoteSession(): boolean {
        return this.guest !== undefined || super.isRemoteSession();
    }

    protected override setURLFragment(workspacePath: string): void {
        if (!this.guest) {
            super.setURLFragment(workspacePath);
        }
    }
}
