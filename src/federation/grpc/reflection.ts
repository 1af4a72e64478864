// Server reflection with the descriptors protoc would give: one
// FileDescriptorProto per real .proto file (strata/v1/naming.proto, …, and
// grpc/health/v1/health.proto), each naming the files it imports, map fields
// as repeated nested `<Name>Entry` messages with map_entry set. proto-loader
// (and so @grpc/reflection given its package definition) merged every file of
// a package into one made-up file and named map entries wrongly, which
// strict clients (Python's DescriptorPool) reject. The descriptors are built
// here from protobufjs's parse of the files; @grpc/reflection serves them.

import { ReflectionService } from '@grpc/reflection';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as protobuf from 'protobufjs';
import { FileDescriptorProto } from 'protobufjs/ext/descriptor';

/** FieldDescriptorProto.Type by protobuf scalar name. */
const SCALAR_TYPES: Record<string, number> = {
  double: 1, float: 2, int64: 3, uint64: 4, int32: 5, fixed64: 6, fixed32: 7, bool: 8, string: 9, bytes: 12, uint32: 13, sfixed32: 15, sfixed64: 16, sint32: 17, sint64: 18,
};
const TYPE_MESSAGE = 11;
const TYPE_ENUM = 14;
const LABEL_OPTIONAL = 1;
const LABEL_REPEATED = 3;

/** A .proto file to describe: its name as importers spell it, and where it is. */
export interface ProtoSource {
  name: string;
  file: string;
}

interface FieldDescriptor {
  name: string;
  number: number;
  label: number;
  type: number;
  typeName?: string;
  oneofIndex?: number;
  jsonName: string;
}

interface MessageDescriptor {
  name: string;
  field: FieldDescriptor[];
  nestedType: MessageDescriptor[];
  enumType: EnumDescriptor[];
  oneofDecl: Array<{ name: string }>;
  options?: { mapEntry: boolean };
}

interface EnumDescriptor {
  name: string;
  value: Array<{ name: string; number: number }>;
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The map entry message protoc makes for a field: `statuses` → `StatusesEntry`. */
function entryName(field: string): string {
  const c = camel(field);
  return `${c[0]!.toUpperCase()}${c.slice(1)}Entry`;
}

function typeOf(field: protobuf.Field, type: string, resolved: protobuf.ReflectionObject | null): { type: number; typeName?: string } {
  const scalar = SCALAR_TYPES[type];
  if (scalar !== undefined) return { type: scalar };
  if (!resolved) throw new Error(`reflection: ${field.fullName} has unresolved type ${type}`);
  return { type: resolved instanceof protobuf.Enum ? TYPE_ENUM : TYPE_MESSAGE, typeName: resolved.fullName };
}

function describeEnum(e: protobuf.Enum): EnumDescriptor {
  return { name: e.name, value: Object.entries(e.values).map(([name, number]) => ({ name, number })) };
}

function describeMessage(type: protobuf.Type, uses: Set<protobuf.ReflectionObject>): MessageDescriptor {
  const message: MessageDescriptor = { name: type.name, field: [], nestedType: [], enumType: [], oneofDecl: [] };
  const oneofs = type.oneofsArray;
  message.oneofDecl = oneofs.map((o) => ({ name: o.name }));
  for (const field of type.fieldsArray) {
    field.resolve();
    const base = { name: field.name, number: field.id, jsonName: camel(field.name) };
    if (field instanceof protobuf.MapField) {
      const entry = entryName(field.name);
      const value = typeOf(field, field.type, field.resolvedType);
      if (field.resolvedType) uses.add(field.resolvedType);
      message.nestedType.push({
        name: entry,
        field: [
          { name: 'key', number: 1, label: LABEL_OPTIONAL, type: SCALAR_TYPES[field.keyType]!, jsonName: 'key' },
          { name: 'value', number: 2, label: LABEL_OPTIONAL, ...value, jsonName: 'value' },
        ],
        nestedType: [],
        enumType: [],
        oneofDecl: [],
        options: { mapEntry: true },
      });
      message.field.push({ ...base, label: LABEL_REPEATED, type: TYPE_MESSAGE, typeName: `${type.fullName}.${entry}` });
      continue;
    }
    const described: FieldDescriptor = { ...base, label: field.repeated ? LABEL_REPEATED : LABEL_OPTIONAL, ...typeOf(field, field.type, field.resolvedType) };
    if (field.resolvedType) uses.add(field.resolvedType);
    if (field.partOf) described.oneofIndex = oneofs.indexOf(field.partOf);
    message.field.push(described);
  }
  for (const nested of type.nestedArray) {
    if (nested instanceof protobuf.Type) message.nestedType.push(describeMessage(nested, uses));
    else if (nested instanceof protobuf.Enum) message.enumType.push(describeEnum(nested));
  }
  return message;
}

/** The objects a namespace tree holds that were defined in `file`, top level only (nested ones come with their parents). */
function definedIn(ns: protobuf.NamespaceBase, file: string): protobuf.ReflectionObject[] {
  const found: protobuf.ReflectionObject[] = [];
  for (const nested of ns.nestedArray) {
    const isNamespaceOnly = nested instanceof protobuf.Namespace && !(nested instanceof protobuf.Type) && !(nested instanceof protobuf.Service);
    if (isNamespaceOnly) found.push(...definedIn(nested, file));
    else if (nested.filename === file) found.push(nested);
  }
  return found;
}

/** FileDescriptorProtos (encoded) of `sources`, in the order given; imports among them must resolve by name. */
export function fileDescriptors(sources: readonly ProtoSource[]): Buffer[] {
  const byName = new Map(sources.map((s) => [s.name, s.file]));
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => byName.get(target) ?? (existsSync(target) ? target : path.resolve(path.dirname(origin), target));
  root.loadSync(sources.map((s) => s.file), { keepCase: true });
  root.resolveAll();
  const nameOfFile = new Map(sources.map((s) => [path.resolve(s.file), s.name]));
  return sources.map((source) => {
    const file = path.resolve(source.file);
    const top = definedIn(root, file);
    const uses = new Set<protobuf.ReflectionObject>();
    const packageName = top[0]?.parent?.fullName.slice(1) ?? '';
    const descriptor = {
      name: source.name,
      package: packageName,
      dependency: [] as string[],
      messageType: top.filter((o): o is protobuf.Type => o instanceof protobuf.Type).map((t) => describeMessage(t, uses)),
      enumType: top.filter((o): o is protobuf.Enum => o instanceof protobuf.Enum).map(describeEnum),
      service: top.filter((o): o is protobuf.Service => o instanceof protobuf.Service).map((s) => ({
        name: s.name,
        method: s.methodsArray.map((m) => {
          m.resolve();
          uses.add(m.resolvedRequestType!);
          uses.add(m.resolvedResponseType!);
          return { name: m.name, inputType: m.resolvedRequestType!.fullName, outputType: m.resolvedResponseType!.fullName, clientStreaming: Boolean(m.requestStream), serverStreaming: Boolean(m.responseStream) };
        }),
      })),
      syntax: 'proto3',
    };
    const deps = new Set<string>();
    for (const used of uses) {
      let owner: protobuf.ReflectionObject | null = used;
      while (owner && !owner.filename) owner = owner.parent;
      const from = owner?.filename ? nameOfFile.get(path.resolve(owner.filename)) : undefined;
      if (from && from !== source.name) deps.add(from);
    }
    descriptor.dependency = [...deps].sort();
    return Buffer.from(FileDescriptorProto.encode(FileDescriptorProto.fromObject(descriptor)).finish());
  });
}

/** Reflection (v1 and v1alpha) over exactly these files. */
export function reflectionService(sources: readonly ProtoSource[]): ReflectionService {
  return new ReflectionService({ files: { fileDescriptorProtos: fileDescriptors(sources) } } as unknown as ConstructorParameters<typeof ReflectionService>[0]);
}
