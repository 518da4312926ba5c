import { CommandContribution, CommandRegistry, type Command } from '@theia/core/lib/common/command';
import { MenuContribution, MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { TerminalWidget } from '@theia/terminal/lib/browser/base/terminal-widget';
import { TerminalService } from '@theia/terminal/lib/browser/base/terminal-service';
import { TerminalMenus } from '@theia/terminal/lib/browser/terminal-frontend-contribution';
import type { TerminalShareMode } from './terminal-messages';
import { TerminalSharingService } from './terminal-sharing-service';

export namespace TerminalSharingCommands {
    export const SHARE: Command = { id: 'ensemble.terminal.share', category: 'Ensemble', label: 'Share Terminal...' };
    export const STOP_SHARING: Command = { id: 'ensemble.terminal.stopSharing', category: 'Ensemble', label: 'Stop Sharing Terminal...' };
    export const OPEN_SHARED: Command = { id: 'ensemble.terminal.openShared', category: 'Ensemble', label: 'Open Shared Terminal...' };
}

/** The host shares and unshares its terminals; a guest opens the shared ones. */
@injectable()
export class TerminalSharingCommandContribution implements CommandContribution, MenuContribution {
    @inject(TerminalSharingService) protected readonly sharing!: TerminalSharingService;
    @inject(TerminalService) protected readonly terminals!: TerminalService;
    @inject(QuickInputService) protected readonly quickInput!: QuickInputService;
    @inject(MessageService) protected readonly messages!: MessageService;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(TerminalSharingCommands.SHARE, {
            execute: () => this.run(() => this.share()),
            isEnabled: () => this.sharing.isHosting
        });
        registry.registerCommand(TerminalSharingCommands.STOP_SHARING, {
            execute: () => this.run(() => this.stopSharing()),
            isEnabled: () => this.sharing.isHosting && this.sharing.sharedTerminals.length > 0
        });
        registry.registerCommand(TerminalSharingCommands.OPEN_SHARED, {
            execute: () => this.run(() => this.openShared()),
            isEnabled: () => this.sharing.availableTerminals.length > 0
        });
    }

    registerMenus(menus: MenuModelRegistry): void {
        menus.registerMenuAction(TerminalMenus.TERMINAL_CONTRIBUTIONS, { commandId: TerminalSharingCommands.SHARE.id, label: 'Share with Guests...' });
    }

    protected async share(): Promise<void> {
        const candidates = this.terminals.all.filter(terminal => !terminal.hiddenFromUser);
        if (candidates.length === 0) {
            void this.messages.info('Ensemble: you have no terminal to share. Open one ("Terminal: Create New Terminal"), then share it.');
            return;
        }
        const current = this.terminals.currentTerminal;
        const items = candidates.map(widget => {
            const shared = this.sharing.sharedTerminals.find(terminal => terminal.id === this.sharing.shareIdOf(widget));
            return { label: widget.title.label || 'Terminal', description: shared ? `shared ${shared.mode}` : undefined, widget };
        }).sort((a, b) => Number(b.widget === current) - Number(a.widget === current));
        const picked = items.length === 1 ? items[0] : await this.quickInput.showQuickPick(items, { title: 'Share Terminal', placeholder: 'Pick the terminal guests should see' });
        if (!picked) {
            return;
        }
        const mode = await this.pickMode(picked.widget);
        if (!mode) {
            return;
        }
        const info = this.sharing.share(picked.widget, mode);
        void this.messages.info(mode === 'read-write'
            ? `Ensemble: guests see the terminal "${info.title}"; those with write permission can type in it. Stop with "Ensemble: Stop Sharing Terminal".`
            : `Ensemble: guests see the terminal "${info.title}" (read-only). Stop with "Ensemble: Stop Sharing Terminal".`);
    }

    protected async pickMode(widget: TerminalWidget): Promise<TerminalShareMode | undefined> {
        const items: Array<{ label: string; detail: string; mode: TerminalShareMode }> = [
            { label: 'Read-only', detail: 'Guests watch the output; only you can type.', mode: 'read-only' },
            {
                label: 'Read-write',
                detail: 'Guests with write permission can type in it too: their commands run on your machine, as you. Read-only guests still only watch.',
                mode: 'read-write'
            }
        ];
        const picked = await this.quickInput.showQuickPick(items, { title: `Share "${widget.title.label}" as`, placeholder: 'How may guests use this terminal?' });
        return picked?.mode;
    }

    protected async stopSharing(): Promise<void> {
        const items = this.sharing.sharedTerminals.map(terminal => ({ label: terminal.title, description: terminal.mode, id: terminal.id }));
        const picked = items.length === 1 ? items[0] : await this.quickInput.showQuickPick(items, { title: 'Stop Sharing Terminal', placeholder: 'Pick the terminal guests should no longer see' });
        if (picked) {
            this.sharing.unshare(picked.id);
            void this.messages.info(`Ensemble: guests no longer see the terminal "${picked.label}"; their views of it were closed.`);
        }
    }

    protected async openShared(): Promise<void> {
        const items = this.sharing.availableTerminals.map(terminal => ({ label: terminal.title, description: terminal.mode, id: terminal.id }));
        const picked = await this.quickInput.showQuickPick(items, { title: 'Open Shared Terminal', placeholder: 'Pick one of the host\'s terminals' });
        if (picked) {
            await this.sharing.open(picked.id);
        }
    }

    protected async run(action: () => Promise<void>): Promise<void> {
        try {
            await action();
        } catch (error) {
            void this.messages.error(`Ensemble: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
}
