/**
 * Scores how well a path matches what a person typed in "Go to File":
 * every whitespace-separated part must appear in the path with its
 * characters in order (case-insensitive). Higher is better; undefined means
 * no match. Substring matches, and matches in the file name, rank first.
 */
export function scorePath(query: string, path: string): number | undefined {
    const parts = query.toLowerCase().split(/\s+/).filter(part => part.length > 0);
    if (parts.length === 0) {
        return undefined;
    }
    const lowerPath = path.toLowerCase();
    const baseName = lowerPath.slice(lowerPath.lastIndexOf('/') + 1);
    let score = 0;
    for (const part of parts) {
        if (baseName.includes(part)) {
            score += baseName.startsWith(part) ? 40 : 30;
        } else if (lowerPath.includes(part)) {
            score += 20;
        } else if (isSubsequence(part, baseName)) {
            score += 10;
        } else if (isSubsequence(part, lowerPath)) {
            score += 1;
        } else {
            return undefined;
        }
    }
    return score;
}

function isSubsequence(needle: string, haystack: string): boolean {
    let at = 0;
    for (const char of needle) {
        at = haystack.indexOf(char, at);
        if (at < 0) {
            return false;
        }
        at++;
    }
    return true;
}
