// Connect with @polkadot/api, read Alice's account, send a transfer and wait for finality.
// Usage: node transfer.mjs ws://127.0.0.1:PORT   — prints one JSON line with the results.
import { ApiPromise, WsProvider } from "@polkadot/api";
import { Keyring } from "@polkadot/keyring";

const url = process.argv[2];
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
const alice = keyring.addFromUri("//Alice");
const dest = keyring.addFromUri("//Alice//polkadotjs");
const before = await api.query.system.account(alice.address);
const amount = 3_000_000_000n;

const result = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("timeout waiting for finalization")), 60000);
  api.tx.balances.transferKeepAlive(dest.address, amount)
    .signAndSend(alice, ({ status, events, dispatchError }) => {
      if (dispatchError) { clearTimeout(timer); reject(new Error(dispatchError.toString())); }
      if (status.isFinalized) {
        clearTimeout(timer);
        resolve({
          finalized: status.asFinalized.toHex(),
          events: events.map(({ event }) => `${event.section}.${event.method}`),
        });
      }
    }).catch(reject);
});
const after = await api.query.system.account(dest.address);
console.log(JSON.stringify({
  chain: (await api.rpc.system.chain()).toString(),
  specVersion: api.runtimeVersion.specVersion.toNumber(),
  aliceFree: before.data.free.toString(),
  destFree: after.data.free.toString(),
  ...result,
}));
await api.disconnect();
