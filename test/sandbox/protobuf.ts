// Kubernetes' protobuf request bodies (`application/vnd.kubernetes.protobuf`), which kubectl sends for
// built-in kinds (`kubectl create namespace`, `kubectl create configmap`): the `k8s\0` envelope
// around runtime.Unknown, decoded for the kinds below. Other kinds get kube-apiserver's 415.
import { unsupportedMediaType, badRequest } from './status';

type Field = { no: number; wire: number; int?: bigint; bytes?: Buffer };

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (i >= buf.length || shift > 63n) throw badRequest('the body of the request could not be decoded: truncated protobuf');
      const b = buf[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const f: Field = { no: key >>> 3, wire: key & 7 };
    if (f.wire === 0) f.int = varint();
    else if (f.wire === 2) {
      const len = Number(varint());
      if (i + len > buf.length) throw badRequest('the body of the request could not be decoded: truncated protobuf');
      f.bytes = buf.subarray(i, (i += len));
    } else if (f.wire === 1 || f.wire === 5) i += f.wire === 1 ? 8 : 4;
    else throw badRequest(`the body of the request could not be decoded: protobuf wire type ${f.wire}`);
    out.push(f);
  }
  return out;
}

// Go's encoder writes every scalar, set or not: an empty string or a 0 means unset.
const str = (f: Field) => f.bytes!.toString('utf8');
const strings = (fs: Field[], no: number) => fs.filter((f) => f.no === no).map(str);
const one = (fs: Field[], no: number) => fs.find((f) => f.no === no);
const text = (fs: Field[], no: number) => (one(fs, no) ? str(one(fs, no)!) || undefined : undefined);
const int = (fs: Field[], no: number) => (one(fs, no)?.int ? Number(BigInt.asIntN(64, one(fs, no)!.int!)) : undefined);
const bool = (fs: Field[], no: number) => (one(fs, no) ? one(fs, no)!.int === 1n : undefined);
const list = (fs: Field[], no: number) => (strings(fs, no).length ? strings(fs, no) : undefined);
const sub = (fs: Field[], no: number) => fields(one(fs, no)?.bytes ?? Buffer.alloc(0));

function map(fs: Field[], no: number, value: (f: Field) => string): Record<string, string> | undefined {
  const entries = fs.filter((f) => f.no === no).map((f) => fields(f.bytes!));
  if (!entries.length) return undefined;
  return Object.fromEntries(entries.map((e) => [one(e, 1) ? str(one(e, 1)!) : '', one(e, 2) ? value(one(e, 2)!) : '']));
}

/** ObjectMeta fields a client sets on create: name, generateName, namespace, labels, annotations, finalizers. */
function objectMeta(buf: Buffer): Record<string, any> {
  const fs = fields(buf);
  return defined({
    name: text(fs, 1),
    generateName: text(fs, 2),
    namespace: text(fs, 3),
    labels: map(fs, 11, str),
    annotations: map(fs, 12, str),
    finalizers: list(fs, 14),
  });
}

function defined(o: Record<string, any>): Record<string, any> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function servicePort(fs: Field[]): Record<string, any> {
  const target = one(fs, 4) ? sub(fs, 4) : undefined;
  const targetPort = target ? (int(target, 1) === 1 ? text(target, 3) : int(target, 2)) : undefined;
  return defined({ name: text(fs, 1), protocol: text(fs, 2), appProtocol: text(fs, 6), port: int(fs, 3) ?? 0, targetPort, nodePort: int(fs, 5) });
}

function serviceSpec(fs: Field[]): Record<string, any> {
  return defined({
    ports: fs.filter((f) => f.no === 1).map((f) => servicePort(fields(f.bytes!))),
    selector: map(fs, 2, str),
    clusterIP: text(fs, 3),
    clusterIPs: list(fs, 18),
    type: text(fs, 4),
    externalIPs: list(fs, 5),
    sessionAffinity: text(fs, 7),
    loadBalancerIP: text(fs, 8),
    loadBalancerSourceRanges: list(fs, 9),
    externalName: text(fs, 10),
    externalTrafficPolicy: text(fs, 11),
    ipFamilies: list(fs, 19),
    ipFamilyPolicy: text(fs, 17),
    loadBalancerClass: text(fs, 21),
    internalTrafficPolicy: text(fs, 22),
    allocateLoadBalancerNodePorts: one(fs, 20) ? bool(fs, 20) : undefined,
  });
}

const base64 = (f: Field) => f.bytes!.toString('base64');
const DECODERS: Record<string, (fs: Field[]) => Record<string, any>> = {
  Namespace: (fs) => ({ spec: defined({ finalizers: list(sub(fs, 2), 1) }) }),
  ConfigMap: (fs) => ({ data: map(fs, 2, str), binaryData: map(fs, 3, base64), immutable: bool(fs, 4) }),
  Secret: (fs) => ({ data: map(fs, 2, base64), type: text(fs, 3), stringData: map(fs, 4, str), immutable: bool(fs, 5) }),
  Service: (fs) => ({ spec: serviceSpec(sub(fs, 2)) }),
};

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** The JSON form of a protobuf body for `kind`, or kube-apiserver's 415 for a kind it does not decode. */
export function decodeProtobuf(raw: Buffer, kind: string, accepted: string[]): Record<string, any> {
  const decode = DECODERS[kind];
  if (!decode) throw unsupportedMediaType(accepted);
  if (raw.length < 4 || raw.subarray(0, 4).toString('latin1') !== 'k8s\0')
    throw badRequest('the body of the request could not be decoded: no protobuf envelope');
  const unknown = fields(raw.subarray(4));
  const typeMeta = one(unknown, 1) ? fields(one(unknown, 1)!.bytes!) : [];
  const obj = fields(one(unknown, 2)?.bytes ?? Buffer.alloc(0));
  return defined({
    apiVersion: text(typeMeta, 1) ?? 'v1',
    kind: text(typeMeta, 2) ?? kind,
    metadata: objectMeta(one(obj, 1)?.bytes ?? Buffer.alloc(0)),
    ...decode(obj),
  });
}
