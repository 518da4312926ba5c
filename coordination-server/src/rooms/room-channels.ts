/**
 * Names of the socket.io rooms ("channels" here, to avoid confusion with
 * Ensemble rooms). Every name contains the Ensemble room id, so a peer can
 * only ever reach channels of its own room.
 */
export const roomChannel = (roomId: string): string => `r:${roomId}`;
export const peerChannel = (roomId: string, peerId: string): string => `p:${roomId}:${peerId}`;
export const topicChannel = (roomId: string, topic: string): string => `t:${roomId}:${topic}`;
export const joinChannel = (requestId: string): string => `j:${requestId}`;
export const isTopicChannelOf = (channel: string, roomId: string): boolean => channel.startsWith(`t:${roomId}:`);
