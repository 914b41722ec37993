// Where on-device Whisper's ONNX runtime lives in the extension: the build copies the file there
// (vite.config.ts), the offscreen document points the runtime at it (engines.ts, whisper.ts).

/** The folder of the extension that holds the runtime's WebAssembly. */
export const ORT_DIR = 'ort';
/**
 * The one file @huggingface/transformers 4.3.2 fetches: it imports onnxruntime-web/webgpu, whose
 * bundle carries its JavaScript glue and loads only this WebAssembly (the CPU and WebGPU build).
 */
export const ORT_WASM_FILE = 'ort-wasm-simd-threaded.asyncify.wasm';
