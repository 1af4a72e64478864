// Original file: proto/strata/v1/backup.proto


export interface BackupRequest {
}

export interface BackupRequest__Output {
}
