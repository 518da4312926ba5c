import type { TerminalWidget } from '@theia/terminal/lib/browser/base/terminal-widget';
import type { TerminalShareMode } from '../terminal-messages';
import '../../../../src/browser/terminal/terminal-sharing.css';

const SHARED = 'ensemble-terminal-shared';
const SHARED_READ_WRITE = 'ensemble-terminal-shared-rw';

/** Marks a host terminal's tab as shared (and how), so the host always sees what guests see. */
export function markSharedTab(widget: TerminalWidget, mode: TerminalShareMode | undefined): void {
    const classes = widget.title.className.split(/\s+/).filter(name => name && name !== SHARED && name !== SHARED_READ_WRITE);
    if (mode === 'read-only') {
        classes.push(SHARED);
    } else if (mode === 'read-write') {
        classes.push(SHARED_READ_WRITE);
    }
    widget.title.className = classes.join(' ');
}
