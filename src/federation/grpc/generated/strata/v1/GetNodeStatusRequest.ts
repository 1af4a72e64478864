// Original file: proto/strata/v1/status.proto


export interface GetNodeStatusRequest {
}

export interface GetNodeStatusRequest__Output {
}
