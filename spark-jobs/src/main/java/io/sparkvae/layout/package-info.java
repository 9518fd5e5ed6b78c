/**
 * Where every output lives: {@link io.sparkvae.layout.RunLayout} owns {@code <root>/runs/<run>/...}, the ordered stage
 * list and the experiments' folders, {@link io.sparkvae.layout.DatasetLayout} a prepared dataset's folder. Every
 * other class asks these for a path; no other class spells one.
 */
package io.sparkvae.layout;
