import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { hashText } from './text-hash';

/**
 * The key of a shared document, also its topic: derived from the shared
 * path, so that a guest can subscribe before it asks to open the document
 * (and so miss no operation in between). The host refuses a key that does
 * not match the path it comes with.
 */
export function documentKey(target: SharedPath): string {
    return `editor/${hashText(`${target.root}\u0000${target.path}`)}`;
}
