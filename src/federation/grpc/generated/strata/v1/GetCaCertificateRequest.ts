// Original file: proto/strata/v1/enrolment.proto


export interface GetCaCertificateRequest {
}

export interface GetCaCertificateRequest__Output {
}
