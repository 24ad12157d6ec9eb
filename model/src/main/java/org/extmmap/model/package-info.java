/**
 * The executable model of spec/ExtMmap.tla: extended mmap() for pipes.
 *
 * <p>{@link org.extmmap.model.ExtMmap} holds the rules for one {@link org.extmmap.model.Config}
 * (read from a TLC .cfg with {@link org.extmmap.model.Config#read}, or built directly with real
 * sizes). From {@link org.extmmap.model.ExtMmap#initial()}, {@link
 * org.extmmap.model.ExtMmap#steps(State)} lists every enabled {@link org.extmmap.model.Step} (an
 * {@link org.extmmap.model.Action} and the next {@link org.extmmap.model.State}, whose {@code
 * last} is the {@link org.extmmap.model.Outcome}); {@link org.extmmap.model.ExtMmap#take(State,
 * Action)} answers for one chosen call. A test oracle uses {@code take}: enumerating every load
 * offset of a 4096-byte page is what TLC does, not what a test needs.
 *
 * <p>{@link org.extmmap.model.TlaRendering} prints a state as TLC does, and {@link
 * org.extmmap.model.ExtMmapSystem} feeds the model to the graph explorer of {@code
 * org.extmmap.model.tla}, which is how the tests prove the model's state graph equal to TLC's.
 */
package org.extmmap.model;
