/** The libsodium (WASM) instance, ready to use once this module has loaded. */
import sodium from "libsodium-wrappers";

await sodium.ready;

export { sodium };
