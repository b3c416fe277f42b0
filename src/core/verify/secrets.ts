// What a replica can echo back from what verify sent it: every form in which a secret verify sent may come back.

/** Parts of a header value shorter than this are not secrets of their own (`Bearer` is, a stray `v1` is not). */
const MIN_PART = 6;

/** Base64 as Node writes it: standard with padding, without padding, and the URL-safe alphabet. */
function base64Forms(text: string): string[] {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const standard = btoa(binary);
  const bare = standard.replace(/=+$/, '');
  return [standard, bare, bare.replaceAll('+', '-').replaceAll('/', '_')];
}

/**
 * The secrets to mask for what verify sends: each header value, each whitespace-separated part of one that is
 * MIN_PART characters or longer (a replica may echo the token without `Bearer `), the URL's user name and password
 * (raw and percent-decoded) and `user:password` as Basic authentication sends it; and the base64 form of each.
 */
export function echoForms(headerValues: readonly string[], credentials: readonly { readonly username: string; readonly password: string }[]): string[] {
  const plain: string[] = [];
  for (const value of headerValues) {
    plain.push(value);
    plain.push(...value.split(/\s+/).filter((part) => part.length >= MIN_PART && part !== value));
  }
  for (const { username, password } of credentials) {
    const user = safeDecode(username);
    const pass = safeDecode(password);
    plain.push(username, password, user, pass);
    if (user !== '' || pass !== '') plain.push(`${user}:${pass}`);
  }
  const forms = plain.filter((s) => s !== '');
  // Longest first: a secret that contains another is masked whole, before the shorter one could split it.
  return [...new Set([...forms, ...forms.flatMap(base64Forms)])].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
