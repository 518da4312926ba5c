import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { StatusBar, StatusBarAlignment } from '@theia/core/lib/browser/status-bar/status-bar';
import { inject, injectable } from '@theia/core/shared/inversify';
import { TerminalSharingService } from './terminal-sharing-service';

export const TERMINAL_TYPING_STATUS_ID = 'ensemble-terminal-typing';
/** How long "Ana typed in bash" stays after the last keystroke. */
const SHOW_MS = 5000;

/** The host sees who types in its shared terminals: a status bar entry that stays a few seconds after the last keystroke. */
@injectable()
export class TerminalTypingStatus implements FrontendApplicationContribution {
    @inject(StatusBar) protected readonly statusBar!: StatusBar;
    @inject(TerminalSharingService) protected readonly sharing!: TerminalSharingService;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private shown = '';

    onStart(): void {
        this.sharing.onDidType(({ name, title }) => {
            const text = `$(terminal) ${name} typed in ${title}`;
            if (text !== this.shown) {
                // Rendering only when the text changes: a guest typing fast does not redraw the status bar per key.
                this.shown = text;
                void this.statusBar.setElement(TERMINAL_TYPING_STATUS_ID, {
                    text,
                    tooltip: `${name} typed into your shared terminal "${title}". Stop sharing it with "Ensemble: Stop Sharing Terminal".`,
                    alignment: StatusBarAlignment.LEFT,
                    priority: 98
                });
            }
            clearTimeout(this.timer);
            this.timer = setTimeout(() => {
                this.shown = '';
                void this.statusBar.removeElement(TERMINAL_TYPING_STATUS_ID);
            }, SHOW_MS);
        });
    }
}
