import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A fresh temporary folder; `remove()` deletes it (the cleanup registry calls it). */
export interface TempDir {
    readonly path: string;
    remove(): void;
}

export function makeTempDir(prefix: string): TempDir {
    const dir = mkdtempSync(path.join(tmpdir(), `ensemble-e2e-${prefix}-`));
    return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }) };
}

/** A temporary workspace with these files (relative path -> content); folders are created as needed. */
export function makeTempWorkspace(prefix: string, files: Readonly<Record<string, string>> = {}): TempDir {
    const dir = makeTempDir(prefix);
    for (const [relative, content] of Object.entries(files)) {
        const file = path.join(dir.path, relative);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, content);
    }
    return dir;
}
