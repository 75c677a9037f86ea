/// The regions of the `aws` partition, the one Gatehouse emulates (its ARNs
/// are `arn:aws:…`). A request signed for any other region is refused as AWS
/// refuses a credential scoped to a region it does not serve.
///
/// From botocore 1.43.11's `data/endpoints.json`, partition `aws`,
/// `regions` (IAM, STS and ECR are offered in every one of them). IAM itself is
/// signed for `us-east-1` at its global endpoint, but a client given a custom
/// endpoint signs with its configured region (botocore signs `aws iam …
/// --endpoint-url … --region eu-west-1` for `eu-west-1`), so IAM takes any
/// region of the partition.
public enum AWSRegions {
    public static let partition: Set<String> = [
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
        "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
        "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
        "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
        "us-west-1", "us-west-2",
    ]
}
