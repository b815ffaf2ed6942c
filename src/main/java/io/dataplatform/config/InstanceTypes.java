package io.dataplatform.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.services.ec2.InstanceArchitecture;
import software.amazon.awscdk.services.ec2.InstanceClass;
import software.amazon.awscdk.services.ec2.InstanceSize;
import software.amazon.awscdk.services.ec2.InstanceType;

/**
 * Instance types checked against what aws-cdk-lib knows (its {@link InstanceClass} and {@link InstanceSize}
 * enums), not against a shape: {@code m7g.hugex} and {@code zz9.large} are rejected, {@code g5g.xlarge} is
 * Graviton.
 *
 * <p>Cheap on purpose: the family and size are matched to enum constant names in plain Java, and one jsii call
 * ({@code InstanceType.of(...)}) confirms the pair spells exactly the configured type. That call also rejects the
 * long aliases ({@code standard7-graviton}), which are constant names but not type names.
 */
final class InstanceTypes {
    private static final Pattern SHAPE = Pattern.compile("([a-z][a-z0-9-]*)\\.([a-z0-9.]+)");
    private static final Pattern XLARGE = Pattern.compile("(\\d*)xlarge(\\.metal)?");

    private InstanceTypes() {
    }

    /** Why the type is not one aws-cdk-lib knows, or empty when it is. */
    static Optional<String> problem(String type) {
        Matcher m = SHAPE.matcher(type);
        if (!m.matches()) {
            return Optional.of("is not of the form family.size (such as m7g.xlarge)");
        }
        String family = m.group(1);
        String size = m.group(2);
        Optional<InstanceClass> cls = instanceClass(family);
        Optional<InstanceSize> sz = instanceSize(size);
        if (cls.isEmpty()) {
            return Optional.of("has an instance family \"" + family + "\" that aws-cdk-lib does not know");
        }
        if (sz.isEmpty()) {
            return Optional.of("has an instance size \"" + size + "\" that aws-cdk-lib does not know"
                    + " (sizes: nano, micro, small, medium, large, xlarge, 2xlarge … 48xlarge, metal, 48xlarge.metal …)");
        }
        String spelled = InstanceType.of(cls.get(), sz.get()).toString();
        if (!spelled.equals(type)) {
            return Optional.of("is not an instance type name (aws-cdk-lib spells it " + spelled + ")");
        }
        return Optional.empty();
    }

    /** Whether the (known) type is Graviton, as aws-cdk-lib says. */
    static boolean arm64(String type) {
        return new InstanceType(type).getArchitecture() == InstanceArchitecture.ARM_64;
    }

    private static Optional<InstanceClass> instanceClass(String family) {
        String constant = family.toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Optional.of(InstanceClass.valueOf(constant));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<InstanceSize> instanceSize(String size) {
        Matcher x = XLARGE.matcher(size);
        String constant = x.matches()
                ? "XLARGE" + x.group(1) + (x.group(2) == null ? "" : "METAL")
                : size.toUpperCase(Locale.ROOT);
        if (x.matches() && "1".equals(x.group(1)) || constant.contains(".")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InstanceSize.valueOf(constant));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
