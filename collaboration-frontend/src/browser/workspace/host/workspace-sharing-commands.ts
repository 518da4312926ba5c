import { CommandContribution, CommandRegistry, type Command } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import type URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { HostWorkspaceSharing } from './host-workspace-sharing';

export namespace WorkspaceSharingCommands {
    export const STOP_SHARING_FOLDER: Command = {
        id: 'ensemble.workspace.stopSharingFolder',
        category: 'Ensemble',
        label: 'Stop Sharing a Folder with Guests...'
    };
    export const SHARE_FOLDER_AGAIN: Command = {
        id: 'ensemble.workspace.shareFolderAgain',
        category: 'Ensemble',
        label: 'Share a Folder with Guests Again...'
    };
}

/** The host's commands to take a workspace folder out of the session, and to put it back. */
@injectable()
export class WorkspaceSharingCommandContribution implements CommandContribution {
    @inject(HostWorkspaceSharing) protected readonly sharing!: HostWorkspaceSharing;
    @inject(QuickInputService) protected readonly quickInput!: QuickInputService;
    @inject(MessageService) protected readonly messages!: MessageService;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(WorkspaceSharingCommands.STOP_SHARING_FOLDER, {
            execute: () => this.stopSharing(),
            isEnabled: () => this.sharing.isSharing && this.sharing.sharedFolders.length > 0
        });
        registry.registerCommand(WorkspaceSharingCommands.SHARE_FOLDER_AGAIN, {
            execute: () => this.shareAgain(),
            isEnabled: () => this.sharing.isSharing && this.sharing.unsharedFolders.length > 0
        });
    }

    protected async stopSharing(): Promise<void> {
        const folder = await this.pick(this.sharing.sharedFolders.map(shared => shared.uri), 'Folder guests should no longer see');
        if (folder) {
            await this.sharing.stopSharing(folder);
            void this.messages.info(`Ensemble: guests no longer see "${folder.path.base}". Share it again with "Ensemble: Share a Folder with Guests Again".`);
        }
    }

    protected async shareAgain(): Promise<void> {
        const folder = await this.pick([...this.sharing.unsharedFolders], 'Folder to share with guests again');
        if (folder) {
            await this.sharing.shareAgain(folder);
            void this.messages.info(`Ensemble: guests see "${folder.path.base}" again.`);
        }
    }

    private async pick(folders: URI[], title: string): Promise<URI | undefined> {
        const items = folders.map(uri => ({ label: uri.path.base || uri.path.toString(), description: uri.path.fsPath(), uri }));
        const picked = await this.quickInput.showQuickPick(items, { title, placeholder: 'Pick a workspace folder' });
        return picked?.uri;
    }
}
