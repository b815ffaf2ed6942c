package io.dataplatform.bench;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;

/** Baseline for scripts/bench-synth.sh: the cheapest CDK app the same launcher can start. */
public final class EmptyStackApp {
    private EmptyStackApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        new Stack(app, "Empty");
        app.synth();
    }
}
