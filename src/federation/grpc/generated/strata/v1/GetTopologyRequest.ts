// Original file: proto/strata/v1/topology.proto


export interface GetTopologyRequest {
}

export interface GetTopologyRequest__Output {
}
