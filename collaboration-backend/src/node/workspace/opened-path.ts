import { promises as fs } from 'node:fs';

/**
 * The path the kernel has for an open file descriptor, where the platform
 * exposes it (Linux: /proc/self/fd); undefined elsewhere. Used to check that
 * what was opened is what was checked.
 */
export async function openedPathOf(fd: number): Promise<string | undefined> {
    if (process.platform !== 'linux') {
        return undefined;
    }
    try {
        return await fs.readlink(`/proc/self/fd/${fd}`);
    } catch {
        return undefined;
    }
}
