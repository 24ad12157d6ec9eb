package org.extmmap.conformance.targets;

import org.extmmap.model.Action;
import org.extmmap.model.Config;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Outcome;
import org.extmmap.model.State;

/**
 * The Java model as a target. Replaying the spec's graph against it tests the harness (path
 * generation, edge decoding, comparison), not the model: the model is checked against TLC in
 * model/. {@link #start(ExtMmap)} takes a model with a planted bug, to show the harness catches it.
 */
public final class ModelTarget implements Target {
    @Override
    public String name() {
        return "model";
    }

    @Override
    public Availability availability() {
        return Availability.yes("the Java model org.extmmap.model.ExtMmap");
    }

    @Override
    public ModelRun start(Config cfg) {
        return start(new ExtMmap(cfg));
    }

    /** A run of a given model, e.g. one with a planted bug. */
    public ModelRun start(ExtMmap model) {
        return new ModelRun(model);
    }

    /** A run that also exposes the model state, so that the harness can check its own decoding. */
    public static final class ModelRun implements Run {
        private final ExtMmap model;
        private State state;

        ModelRun(ExtMmap model) {
            this.model = model;
            this.state = model.initial();
        }

        public State state() {
            return state;
        }

        @Override
        public Outcome perform(Action action, boolean specBlocks) {
            State next = model.take(state, action).orElseThrow(() -> action instanceof Action.Wake
                    // what a kernel shows when a wake-up is lost: the call never completes
                    ? new OutsideSpec("process " + action.p() + " stays blocked: the target never completes its call")
                    : new StepNotPerformed("the model does not enable " + action + " here"))
                    .next();
            state = next;
            return next.last();
        }

        @Override
        public void close() {
        }
    }
}
