/** Partitioned, split datasets on any Hadoop FileSystem: the split plan, the manifest, writing and reading. */
package io.sparkvae.dataset;
