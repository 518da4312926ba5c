import type { ChatMessage } from './chat-messages';

/**
 * Posts a guest may still send again: one whose answer timed out is retried
 * with the same id within seconds, so the last few per guest are plenty.
 */
export const RECENT_POSTS_PER_PEER = 32;

/** The host's memory of each guest's recent posts by post id, so that a post sent twice is posted once. */
export class RecentChatPosts {
    private readonly byPeer = new Map<string, Map<string, ChatMessage>>();

    get(peerId: string, postId: string): ChatMessage | undefined {
        return this.byPeer.get(peerId)?.get(postId);
    }

    add(peerId: string, postId: string, message: ChatMessage): void {
        let posts = this.byPeer.get(peerId);
        if (!posts) {
            posts = new Map();
            this.byPeer.set(peerId, posts);
        }
        posts.set(postId, message);
        if (posts.size > RECENT_POSTS_PER_PEER) {
            // A Map iterates in insertion order: the first key is the oldest post.
            posts.delete(posts.keys().next().value!);
        }
    }

    forget(peerId: string): void {
        this.byPeer.delete(peerId);
    }
}
