/** Only `#rgb`/`#rrggbb` colours reach CSS: a colour comes from a peer's status. */
export function isSafeColor(color: string): boolean {
    return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color);
}

/** The class suffix of a (validated) colour: `e6194b` for `#e6194b`, lower case, 6 digits. */
export function colorClassSuffix(color: string): string | undefined {
    if (!isSafeColor(color)) {
        return undefined;
    }
    const hex = color.slice(1).toLowerCase();
    return hex.length === 3 ? hex.split('').map(c => c + c).join('') : hex;
}

/** The CSS rules of one colour's caret, selection and name label. Input must come from colorClassSuffix. */
export function cursorCss(suffix: string): string {
    const color = `#${suffix}`;
    return [
        `.monaco-editor .ensemble-caret-${suffix} { border-left: 2px solid ${color}; }`,
        `.monaco-editor .ensemble-selection-${suffix} { background-color: ${color}40; }`,
        `.monaco-editor .ensemble-label-${suffix} { background-color: ${color}; }`
    ].join('\n');
}

/** Shared rules: a caret as a 2px bar over the text; the name label above it (a content widget). */
export const BASE_CURSOR_CSS = `
.monaco-editor .ensemble-caret { position: absolute; height: 100%; box-sizing: border-box; margin-left: -1px; z-index: 5; }
.monaco-editor .ensemble-label {
    padding: 0 4px; border-radius: 3px 3px 3px 0; color: #fff; font-size: 11px; line-height: 15px;
    white-space: pre; pointer-events: none; z-index: 10; opacity: 0.95;
}
`;

/**
 * One style element with the rules of every colour seen so far; each colour
 * is added once. Names never go into CSS: the label is a DOM node whose
 * textContent is set (see RemoteCursorDecorations).
 */
export class CursorStyles {
    private readonly added = new Set<string>();
    private element: HTMLStyleElement | undefined;

    constructor(private readonly document: Document) { }

    /** The class suffix for `color` (its rules injected), or undefined for a colour that is not `#rgb`/`#rrggbb`. */
    ensure(color: string): string | undefined {
        const suffix = colorClassSuffix(color);
        if (suffix === undefined) {
            return undefined;
        }
        if (!this.element) {
            this.element = this.document.createElement('style');
            this.element.id = 'ensemble-remote-cursors';
            this.element.textContent = BASE_CURSOR_CSS;
            this.document.head.appendChild(this.element);
        }
        if (!this.added.has(suffix)) {
            this.added.add(suffix);
            this.element.textContent += cursorCss(suffix) + '\n';
        }
        return suffix;
    }

    dispose(): void {
        this.element?.remove();
        this.element = undefined;
        this.added.clear();
    }
}
