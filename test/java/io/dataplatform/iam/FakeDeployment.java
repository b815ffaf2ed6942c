package io.dataplatform.iam;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The synthesized templates of one environment as if CloudFormation had deployed them into one
 * account and region: every intrinsic function (Ref, Fn::GetAtt, Fn::Join, cross-stack
 * Fn::GetStackOutput, pseudo parameters) resolves to the name or ARN CloudFormation would give,
 * built the way AWS builds it for that resource type. Names CloudFormation generates are stand-ins
 * ({@code <stack>-<logical id>-fake}), so two resources never share one.
 */
public final class FakeDeployment {
    public static final String ACCOUNT = "111122223333";
    public static final String REGION = "eu-west-1";
    public static final String PARTITION = "aws";

    private final Map<String, Map<String, Object>> templates;

    /** @param templates stack name to template JSON */
    public FakeDeployment(Map<String, Map<String, Object>> templates) {
        this.templates = new LinkedHashMap<>(templates);
    }

    public Map<String, Map<String, Object>> templates() {
        return templates;
    }

    /** Logical id to resource of every resource of {@code type} in {@code stack}. */
    public Map<String, Map<String, Object>> resources(String stack, String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        map(template(stack).get("Resources")).forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                found.put(id, map(resource));
            }
        });
        return found;
    }

    /** The one logical id of {@code type} in {@code stack} that starts with {@code prefix}. */
    public String logicalId(String stack, String type, String prefix) {
        List<String> ids = resources(stack, type).keySet().stream().filter(id -> id.startsWith(prefix)).toList();
        if (ids.size() != 1) {
            throw new IllegalArgumentException(stack + " has " + ids.size() + " " + type + " starting with " + prefix + ": " + ids);
        }
        return ids.get(0);
    }

    /** What {@code Ref} of a resource returns once deployed. */
    public String ref(String stack, String logicalId) {
        Map<String, Object> resource = resource(stack, logicalId);
        Map<String, Object> props = resource.get("Properties") == null ? Map.of() : map(resource.get("Properties"));
        String generated = stack + "-" + logicalId + "-fake";
        String hex = hex(stack + "/" + logicalId);
        return switch (String.valueOf(resource.get("Type"))) {
            case "AWS::IAM::Role" -> nameOr(stack, props.get("RoleName"), truncate(generated, 64));
            case "AWS::IAM::InstanceProfile" -> nameOr(stack, props.get("InstanceProfileName"), truncate(generated, 128));
            case "AWS::S3::Bucket" -> nameOr(stack, props.get("BucketName"), truncate(generated.toLowerCase(Locale.ROOT), 63));
            case "AWS::SecretsManager::Secret" -> "arn:" + PARTITION + ":secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:"
                    + logicalId + "-AbCdEf";
            case "AWS::SNS::Topic" -> "arn:" + PARTITION + ":sns:" + REGION + ":" + ACCOUNT + ":"
                    + nameOr(stack, props.get("TopicName"), generated);
            case "AWS::KMS::Key" -> hex.substring(0, 8) + "-1111-2222-3333-" + hex.substring(8, 20);
            case "AWS::EC2::Volume" -> "vol-" + hex.substring(0, 17);
            case "AWS::EC2::Instance" -> "i-" + hex.substring(0, 17);
            case "AWS::EC2::SecurityGroup" -> "sg-" + hex.substring(0, 17);
            case "AWS::EC2::Subnet" -> "subnet-" + hex.substring(0, 17);
            case "AWS::EC2::VPC" -> "vpc-" + hex.substring(0, 17);
            case "AWS::Logs::LogGroup" -> nameOr(stack, props.get("LogGroupName"), generated);
            case "AWS::Lambda::Function" -> nameOr(stack, props.get("FunctionName"), truncate(generated, 64));
            case "AWS::CloudWatch::Alarm" -> nameOr(stack, props.get("AlarmName"), generated);
            default -> generated;
        };
    }

    /** What {@code Fn::GetAtt} of a resource returns once deployed. */
    public String attribute(String stack, String logicalId, String attribute) {
        String type = String.valueOf(resource(stack, logicalId).get("Type"));
        String ref = ref(stack, logicalId);
        String regional = ":" + REGION + ":" + ACCOUNT + ":";
        return switch (type + "." + attribute) {
            case "AWS::IAM::Role.Arn" -> "arn:" + PARTITION + ":iam::" + ACCOUNT + ":role/" + ref;
            case "AWS::IAM::InstanceProfile.Arn" -> "arn:" + PARTITION + ":iam::" + ACCOUNT + ":instance-profile/" + ref;
            case "AWS::S3::Bucket.Arn" -> "arn:" + PARTITION + ":s3:::" + ref;
            case "AWS::KMS::Key.Arn" -> "arn:" + PARTITION + ":kms" + regional + "key/" + ref;
            case "AWS::Lambda::Function.Arn" -> "arn:" + PARTITION + ":lambda" + regional + "function:" + ref;
            case "AWS::Logs::LogGroup.Arn" -> "arn:" + PARTITION + ":logs" + regional + "log-group:" + ref + ":*";
            case "AWS::SNS::Topic.TopicArn" -> ref;
            case "AWS::SNS::Topic.TopicName" -> ref.substring(ref.lastIndexOf(':') + 1);
            case "AWS::CloudWatch::Alarm.Arn" -> "arn:" + PARTITION + ":cloudwatch" + regional + "alarm:" + ref;
            case "AWS::EC2::SecurityGroup.GroupId" -> ref;
            case "AWS::IAM::OIDCProvider.Arn" -> "arn:" + PARTITION + ":iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com";
            case "AWS::EC2::Subnet.AvailabilityZone", "AWS::EC2::Instance.AvailabilityZone" -> REGION + "a";
            default -> stack + "-" + logicalId + "-" + attribute.toLowerCase(Locale.ROOT) + "-fake";
        };
    }

    /** Resolves every intrinsic function in {@code value}, as CloudFormation would in {@code stack}. */
    public Object resolve(String stack, Object value) {
        if (value instanceof List<?> items) {
            List<Object> resolved = new ArrayList<>();
            items.forEach(item -> resolved.add(resolve(stack, item)));
            return resolved;
        }
        if (!(value instanceof Map<?, ?> raw)) {
            return value;
        }
        Map<String, Object> node = map(raw);
        if (node.size() == 1) {
            String function = node.keySet().iterator().next();
            Object argument = node.get(function);
            switch (function) {
                case "Ref":
                    return pseudoOrRef(stack, String.valueOf(argument));
                case "Fn::GetAtt": {
                    List<Object> parts = list(argument);
                    return attribute(stack, String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
                }
                case "Fn::Join": {
                    List<Object> parts = list(argument);
                    List<String> pieces = new ArrayList<>();
                    list(resolve(stack, parts.get(1))).forEach(p -> pieces.add(String.valueOf(p)));
                    return String.join(String.valueOf(parts.get(0)), pieces);
                }
                case "Fn::Select": {
                    List<Object> parts = list(argument);
                    return list(resolve(stack, parts.get(1))).get(Integer.parseInt(String.valueOf(resolve(stack, parts.get(0)))));
                }
                case "Fn::Split": {
                    List<Object> parts = list(argument);
                    return List.of(String.valueOf(resolve(stack, parts.get(1))).split(java.util.regex.Pattern.quote(String.valueOf(parts.get(0))), -1));
                }
                case "Fn::Sub":
                    return substitute(stack, argument);
                case "Fn::GetAZs":
                    return List.of(REGION + "a", REGION + "b", REGION + "c");
                case "Fn::GetStackOutput": {
                    Map<String, Object> ref = map(argument);
                    String other = String.valueOf(ref.get("StackName"));
                    Object output = map(map(template(other).get("Outputs")).get(String.valueOf(ref.get("OutputName")))).get("Value");
                    return resolve(other, output);
                }
                case "Fn::ImportValue":
                    return importValue(String.valueOf(resolve(stack, argument)));
                default:
                    if (function.startsWith("Fn::")) {
                        throw new IllegalArgumentException("FakeDeployment cannot resolve " + function + " in " + stack);
                    }
            }
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        node.forEach((key, item) -> resolved.put(key, resolve(stack, item)));
        return resolved;
    }

    private String substitute(String stack, Object argument) {
        String text = argument instanceof List<?> parts ? String.valueOf(parts.get(0)) : String.valueOf(argument);
        Map<String, Object> variables = argument instanceof List<?> parts && parts.size() > 1 ? map(parts.get(1)) : Map.of();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([^}!]+)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object value;
            if (variables.containsKey(name)) {
                value = resolve(stack, variables.get(name));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                value = attribute(stack, name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
            } else {
                value = pseudoOrRef(stack, name);
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Object pseudoOrRef(String stack, String name) {
        return switch (name) {
            case "AWS::AccountId" -> ACCOUNT;
            case "AWS::Region" -> REGION;
            case "AWS::Partition" -> PARTITION;
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::StackName" -> stack;
            case "AWS::StackId" -> "arn:" + PARTITION + ":cloudformation:" + REGION + ":" + ACCOUNT + ":stack/" + stack + "/fake";
            default -> {
                Map<String, Object> parameters = template(stack).get("Parameters") == null ? Map.of() : map(template(stack).get("Parameters"));
                if (parameters.containsKey(name)) {
                    Object fallback = map(parameters.get(name)).get("Default");
                    yield fallback == null ? "parameter-" + name : fallback;
                }
                yield ref(stack, name);
            }
        };
    }

    private Object importValue(String exportName) {
        for (Map.Entry<String, Map<String, Object>> entry : templates.entrySet()) {
            Object outputs = entry.getValue().get("Outputs");
            if (outputs == null) {
                continue;
            }
            for (Object output : map(outputs).values()) {
                Object export = map(output).get("Export");
                if (export != null && exportName.equals(resolve(entry.getKey(), map(export).get("Name")))) {
                    return resolve(entry.getKey(), map(output).get("Value"));
                }
            }
        }
        throw new IllegalArgumentException("no stack exports " + exportName);
    }

    private String nameOr(String stack, Object explicit, String generated) {
        return explicit == null ? generated : String.valueOf(resolve(stack, explicit));
    }

    private Map<String, Object> template(String stack) {
        Map<String, Object> template = templates.get(stack);
        if (template == null) {
            throw new IllegalArgumentException("no template for stack " + stack + "; have " + templates.keySet());
        }
        return template;
    }

    private Map<String, Object> resource(String stack, String logicalId) {
        Object resource = map(template(stack).get("Resources")).get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException(stack + " has no resource " + logicalId);
        }
        return map(resource);
    }

    private static String truncate(String name, int max) {
        return name.length() <= max ? name : name.substring(0, max);
    }

    private static String hex(String seed) {
        StringBuilder hex = new StringBuilder();
        long h = seed.hashCode() & 0xffffffffL;
        for (int i = 0; hex.length() < 24; i++) {
            h = h * 6364136223846793005L + 1442695040888963407L + i;
            hex.append(String.format("%016x", h));
        }
        return hex.toString();
    }
}
