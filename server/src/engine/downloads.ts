// Data fetched over the network (`await axios.get(url)`, `fetch(url)`, `downloadFile(url, dest)`): a file that
// holds it is a local copy of remote content, and writing it again writes the same bytes (check-then-act's
// download-when-missing, parse-failure-overwrite's catch that downloads the content again).

/** A call that fetches remote content: an HTTP client or a download helper by its common names. */
// Also any `request(…)`: a request service's `request({ url })` (theia's RequestService), `http.request`,
// `axios.request`, the `request` package.
export const NETWORK_CALL = /\b(fetch|axios(\.get)?|got(\.get)?|https?\.get|request|download\w*)\s*\(/;
