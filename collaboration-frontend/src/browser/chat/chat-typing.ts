/** How long after the last keystroke a peer stops counting as typing. */
export const TYPING_IDLE_MS = 4000;

/**
 * Turns keystrokes into "typing" / "not typing": on at the first keystroke,
 * off after TYPING_IDLE_MS without one (or at once, on `stop`). Only the
 * changes go out, so typing costs two status updates, not one per key.
 */
export class TypingIndicator {
    private typing = false;
    private timer: ReturnType<typeof setTimeout> | undefined;

    constructor(private readonly publish: (typing: boolean) => void, private readonly idleMs = TYPING_IDLE_MS) { }

    get isTyping(): boolean { return this.typing; }

    keystroke(): void {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.stop(), this.idleMs);
        if (!this.typing) {
            this.typing = true;
            this.publish(true);
        }
    }

    stop(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (this.typing) {
            this.typing = false;
            this.publish(false);
        }
    }
}

/** "Ana is typing…", "Ana and Bo are typing…", "3 people are typing…", or nothing. */
export function describeTyping(names: readonly string[]): string {
    if (names.length === 0) {
        return '';
    }
    if (names.length === 1) {
        return `${names[0]} is typing…`;
    }
    if (names.length === 2) {
        return `${names[0]} and ${names[1]} are typing…`;
    }
    return `${names.length} people are typing…`;
}
