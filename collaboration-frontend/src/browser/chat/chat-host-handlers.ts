import type { CollaborationSession, PeerInfo } from '@ensemble/collaboration-common';
import { DisposableCollection, type Disposable } from '@theia/core/lib/common/disposable';
import type { ChatHistoryPage } from './chat-history';
import { GetChatHistory, PostChatMessage, type ChatMessage } from './chat-messages';
import { ChatRateLimit, rateLimitMessage } from './chat-rate-limit';
import { RecentChatPosts } from './recent-chat-posts';
import { chatTextProblem } from './chat-text';

export interface ChatHostOptions {
    /** Numbers, keeps and relays a message of `author`. */
    readonly post: (author: PeerInfo, text: string) => ChatMessage;
    /** The current history's page after an id. */
    readonly page: (after: number) => ChatHistoryPage;
}

/**
 * The host's answers to the guests' chat requests. Who posts comes from the
 * session's peer list (kept by the server) by the sender's peer id, never
 * from the message: a guest cannot post under another name. Read-only
 * guests may chat; a guest posting too fast is slowed down; a post sent
 * again (its answer was lost) is answered, not posted twice.
 */
export function registerChatHostHandlers(session: CollaborationSession, options: ChatHostOptions): Disposable {
    const rateLimit = new ChatRateLimit();
    const recentPosts = new RecentChatPosts();
    return new DisposableCollection(
        session.onPeerLeft(({ peerId }) => {
            rateLimit.forget(peerId);
            recentPosts.forget(peerId);
        }),
        session.onRequest(PostChatMessage, ({ text, postId }, { origin }) => {
            const peer = session.peers.get(origin);
            if (!peer) {
                throw new Error('the host does not know you as a participant (any more); rejoin the session');
            }
            const posted = postId === undefined ? undefined : recentPosts.get(peer.id, postId);
            if (posted) {
                // Sent again after the answer was lost: answer with the message it made.
                return { message: posted };
            }
            const problem = chatTextProblem(text);
            if (problem) {
                throw new Error(problem);
            }
            if (!rateLimit.take(peer.id)) {
                throw new Error(rateLimitMessage());
            }
            const message = options.post(peer, text);
            if (postId !== undefined) {
                recentPosts.add(peer.id, postId, message);
            }
            return { message };
        }),
        session.onRequest(GetChatHistory, ({ after }) => options.page(after))
    );
}
