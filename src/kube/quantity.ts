/**
 * Kubernetes resource quantities ("250m", "2", "1.5", "256Mi", "16Gi") as numbers:
 * CPU in millicores, memory in bytes, and back to the short forms kubelet prints.
 */

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The profile schema's quantity grammar (a plain decimal with an optional suffix). */
const QUANTITY_RE = /^([0-9]+(?:\.[0-9]+)?)(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;

/** A quantity's value in base units (cores or bytes); undefined when it is no quantity. */
export function quantityValue(q: string | number): number | undefined {
  const m = QUANTITY_RE.exec(String(q));
  if (!m) return undefined;
  return Number(m[1]) * (SUFFIX[m[2] ?? ''] as number);
}

/** CPU quantity in whole millicores, rounded up ("1.5" → 1500, "250m" → 250); undefined when invalid. */
export function cpuMillicores(q: string | number): number | undefined {
  const v = quantityValue(q);
  // The epsilon keeps 0.3 × 1000 = 300.00000000000006 from becoming 301.
  return v === undefined ? undefined : Math.ceil(v * 1000 - 1e-6);
}

/** Memory quantity in whole bytes, rounded up ("256Mi" → 268435456); undefined when invalid. */
export function memoryBytes(q: string | number): number | undefined {
  const v = quantityValue(q);
  return v === undefined ? undefined : Math.ceil(v - 1e-6);
}

/** Millicores as kubelet writes them: "2" for whole cores, else "1500m". */
export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

const MI = 2 ** 20;

/** Bytes as a whole number of the largest binary unit that divides them ("16Gi", "2663Mi"), else Mi rounded up. */
export function formatMemory(bytes: number): string {
  for (const [suffix, size] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', MI], ['Ki', 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return bytes < MI ? String(bytes) : `${Math.ceil(bytes / MI)}Mi`;
}
