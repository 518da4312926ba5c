/** Something a provider handed out that must be disposed when no longer used (a completion or code action list). */
export interface DisposableList {
    dispose?(): void;
}

interface Answer<T> {
    readonly entries: Map<number, T>;
    readonly lists: DisposableList[];
}

/**
 * What the host's providers returned that a guest may still refer to by a
 * handle (a completion item to resolve, a code action to apply): what the
 * guest's last few answers of that kind held (a widget shows one list, but
 * the editor may ask again while it is open), at most `maxEntries` per
 * answer. Older answers, the guest leaving and the session ending dispose
 * their lists, as Monaco does (providers backed by a plugin host free their
 * cached items then).
 */
export class PeerHandleStore<T> {
    private readonly peers = new Map<string, Answer<T>[]>();
    private nextId = 1;

    constructor(private readonly answersKept = 3, private readonly maxEntries = 2000) { }

    /** Begins the peer's next answer; the oldest one kept is forgotten (its handles stop working). */
    startAnswer(peerId: string): void {
        const answers = this.peers.get(peerId) ?? [];
        answers.push({ entries: new Map(), lists: [] });
        while (answers.length > this.answersKept) {
            answers.shift()?.lists.forEach(list => list.dispose?.());
        }
        this.peers.set(peerId, answers);
    }

    /** A handle for the entry in the peer's current answer, or undefined when that is full (the entry then has no handle). */
    remember(peerId: string, entry: T): number | undefined {
        const answer = this.peers.get(peerId)?.at(-1);
        if (!answer || answer.entries.size >= this.maxEntries) {
            return undefined;
        }
        const id = this.nextId++;
        answer.entries.set(id, entry);
        return id;
    }

    /** Keeps a list as long as the peer's current answer is kept. */
    keepAlive(peerId: string, list: DisposableList): void {
        const answer = this.peers.get(peerId)?.at(-1);
        if (answer) {
            answer.lists.push(list);
        } else {
            list.dispose?.();
        }
    }

    get(peerId: string, id: number): T | undefined {
        for (const answer of this.peers.get(peerId) ?? []) {
            const entry = answer.entries.get(id);
            if (entry !== undefined) {
                return entry;
            }
        }
        return undefined;
    }

    forget(peerId: string): void {
        const answers = this.peers.get(peerId) ?? [];
        this.peers.delete(peerId);
        answers.forEach(answer => answer.lists.forEach(list => list.dispose?.()));
    }

    dispose(): void {
        [...this.peers.keys()].forEach(peerId => this.forget(peerId));
    }
}
