// Verifies the published draw record in this browser: loads the verifier
// (the sortition package compiled to WebAssembly), fetches the record and
// writes the outcome into #verification. Nothing is sent anywhere.
"use strict";
(async () => {
  const out = document.getElementById("verification");
  if (!out || !out.dataset.record) {
    return;
  }
  try {
    const go = new Go();
    const wasm = await fetch(out.dataset.wasm);
    const { instance } = await WebAssembly.instantiate(await wasm.arrayBuffer(), go.importObject);
    go.run(instance);
    const record = await (await fetch(out.dataset.record)).text();
    const result = JSON.parse(globalThis.panelVerify(record));
    out.textContent = result.text;
    out.className = result.verified ? "ok" : "bad";
  } catch (err) {
    out.textContent = out.dataset.failed + ": " + err;
    out.className = "bad";
  }
})();
