// Original file: proto/strata/v1/backup.proto


export interface BackupChunk {
  'data'?: (Buffer | Uint8Array | string);
}

export interface BackupChunk__Output {
  'data': (Buffer);
}
