import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { inject, injectable } from '@theia/core/shared/inversify';
import { TerminalService } from '@theia/terminal/lib/browser/base/terminal-service';
import type { Terminal } from 'xterm';
import { terminalBufferText } from './terminal-buffer-text';
import type { TerminalTypedEvent } from './host/host-terminal-sharing';
import type { SharedTerminalInfo } from './terminal-messages';
import { TerminalSharingService } from './terminal-sharing-service';

export interface SharedTerminalViewState {
    readonly id: string;
    readonly label: string;
    readonly cols: number;
    readonly rows: number;
    readonly canType: boolean;
    /** What the view shows (xterm draws on a canvas). */
    readonly text: string;
}

export interface HostTerminalState {
    readonly title: string;
    /** Shown now (not behind another tab). */
    readonly visible: boolean;
    /** A terminal Theia keeps out of the user's sight (and out of Share Terminal's list). */
    readonly hiddenFromUser: boolean;
    /** Its share id while shared. */
    readonly shareId: string | undefined;
    readonly cols: number;
    readonly rows: number;
    readonly text: string;
}

export interface TerminalDiagnostics {
    /** This window's own terminals (what the host's terminals show, to compare with the guests' views). */
    ownTerminals(): HostTerminalState[];
    /** Host: the terminals it shares. */
    shared(): readonly SharedTerminalInfo[];
    /** Host: the last guest input that reached a terminal. */
    lastTyped(): TerminalTypedEvent | undefined;
    /** Guest: the terminals the host shares. */
    available(): readonly SharedTerminalInfo[];
    /** Guest: its open views of shared terminals. */
    views(): SharedTerminalViewState[];
}

/** A read-only view on `window.ensembleTerminals`, for bug reports and the browser end-to-end tests. */
@injectable()
export class TerminalDiagnosticsContribution implements FrontendApplicationContribution {
    @inject(TerminalSharingService) protected readonly sharing!: TerminalSharingService;
    @inject(TerminalService) protected readonly terminals!: TerminalService;

    onStart(): void {
        const diagnostics: TerminalDiagnostics = {
            ownTerminals: () => this.terminals.all.map(widget => {
                const term = (widget as { getTerminal?: () => Terminal }).getTerminal?.();
                return {
                    title: widget.title.label, visible: widget.isVisible, hiddenFromUser: widget.hiddenFromUser, shareId: this.sharing.shareIdOf(widget),
                    cols: widget.dimensions.cols, rows: widget.dimensions.rows, text: term ? terminalBufferText(term) : ''
                };
            }),
            shared: () => this.sharing.sharedTerminals,
            lastTyped: () => this.sharing.lastTyped,
            available: () => this.sharing.availableTerminals,
            views: () => this.sharing.openViews.map(view => ({
                id: view.shareId, label: view.title.label, cols: view.term.cols, rows: view.term.rows, canType: view.typingAllowed, text: view.text
            }))
        };
        (globalThis as { ensembleTerminals?: TerminalDiagnostics }).ensembleTerminals = diagnostics;
    }
}
