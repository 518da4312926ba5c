import type * as monaco from '@theia/monaco-editor-core';

export interface ResolvableItem {
    readonly provider: monaco.languages.CompletionItemProvider;
    readonly item: monaco.languages.CompletionItem;
}

interface PeerLists {
    readonly items: Map<number, ResolvableItem>;
    readonly lists: monaco.languages.CompletionList[];
}

/**
 * The host's completion items a guest may still ask to resolve: only those
 * of the guest's latest completion list (Monaco's suggest widget shows one
 * list at a time too), at most `maxItems` per guest. Starting a new list, a
 * peer leaving or the session ending disposes the old lists, as Monaco does
 * (providers backed by a plugin host free their cached items then).
 */
export class CompletionResolveStore {
    private readonly peers = new Map<string, PeerLists>();
    private nextId = 1;

    constructor(private readonly maxItems = 2000) { }

    startList(peerId: string): void {
        this.forget(peerId);
        this.peers.set(peerId, { items: new Map(), lists: [] });
    }

    /** A handle for the item, or undefined when the peer's list is full (the item then simply is not resolved). */
    remember(peerId: string, entry: ResolvableItem): number | undefined {
        const peer = this.peers.get(peerId);
        if (!peer || peer.items.size >= this.maxItems) {
            return undefined;
        }
        const id = this.nextId++;
        peer.items.set(id, entry);
        return id;
    }

    keepAlive(peerId: string, list: monaco.languages.CompletionList): void {
        this.peers.get(peerId)?.lists.push(list);
    }

    get(peerId: string, id: number): ResolvableItem | undefined {
        return this.peers.get(peerId)?.items.get(id);
    }

    forget(peerId: string): void {
        const peer = this.peers.get(peerId);
        this.peers.delete(peerId);
        peer?.lists.forEach(list => list.dispose?.());
    }

    dispose(): void {
        [...this.peers.keys()].forEach(peerId => this.forget(peerId));
    }
}
