/** Something that can be released; returned by every `on...` registration. */
export interface Disposable {
    dispose(): void;
}

/** Subscribe to an event; dispose the result to unsubscribe. */
export type Event<T> = (listener: (event: T) => void) => Disposable;

/**
 * A minimal typed event emitter in the style of Theia's. A throwing listener
 * is reported and skipped: one extension's bug must not stop the session
 * from delivering the event to the others.
 */
export class Emitter<T> {
    private readonly listeners = new Set<(event: T) => void>();

    readonly event: Event<T> = listener => {
        // Wrap so that registering the same function twice gives two independent subscriptions.
        const entry = (event: T): void => listener(event);
        this.listeners.add(entry);
        return { dispose: () => { this.listeners.delete(entry); } };
    };

    fire(event: T): void {
        for (const listener of [...this.listeners]) {
            try {
                listener(event);
            } catch (error) {
                console.error('Ensemble: an event listener threw; the other listeners still run.', error);
            }
        }
    }

    get hasListeners(): boolean {
        return this.listeners.size > 0;
    }

    dispose(): void {
        this.listeners.clear();
    }
}
