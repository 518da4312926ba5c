/** Serializes with fewer scrollback lines until the text fits (colour codes make lines long); empty when not even the screen fits. */
export function fitSerialized(serialize: (scrollbackLines: number) => string, maxChars: number, startLines = 1000): string {
    for (let lines = startLines; ; lines = Math.floor(lines / 2)) {
        const text = serialize(lines);
        if (text.length <= maxChars) {
            return text;
        }
        if (lines === 0) {
            return '';
        }
    }
}
