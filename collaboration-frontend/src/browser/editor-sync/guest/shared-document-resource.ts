import type { Resource, ResourceReadOptions } from '@theia/core/lib/common/resource';
import type { Event } from '@theia/core/lib/common/event';
import type { MarkdownString } from '@theia/core/lib/common/markdown-rendering/markdown-string';
import type URI from '@theia/core/lib/common/uri';

export interface SharedDocumentAccess {
    /** The document's text as the host has it now (the OT snapshot). */
    read(): Promise<string>;
    /** Asks the host to save its copy. */
    save(): Promise<void>;
    /** The editor's model is gone. */
    close(): void;
}

/**
 * A guest's host file as the editor's Resource. The text comes from the
 * OT snapshot, not from the file on the host's disk, and saving asks the
 * host to save its model instead of writing these bytes: a guest can never
 * overwrite newer text on the host, and Theia never gets to ask whether to
 * overwrite a file that "changed on the file system" (auto-save included).
 * There is no `onDidChangeContents`: changes arrive as operations, never as
 * a reload. Read-only state is the file-system provider's (the guest's role).
 */
export class SharedDocumentResource implements Resource {
    constructor(private readonly file: Resource, private readonly access: SharedDocumentAccess) { }

    get uri(): URI {
        return this.file.uri;
    }

    get readOnly(): boolean | MarkdownString | undefined {
        return this.file.readOnly;
    }

    get onDidChangeReadOnly(): Event<boolean | MarkdownString> | undefined {
        return this.file.onDidChangeReadOnly;
    }

    get encoding(): string | undefined {
        return 'utf8';
    }

    readonly autosaveable = true;

    readContents(_options?: ResourceReadOptions): Promise<string> {
        return this.access.read();
    }

    saveContents(_content: string): Promise<void> {
        return this.access.save();
    }

    dispose(): void {
        this.access.close();
        this.file.dispose();
    }
}
