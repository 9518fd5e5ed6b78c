/**
 * Partitioned, split datasets on any Hadoop FileSystem from any data format (IDX sets, sprite sheets, image folders
 * read on the executors, Parquet tables): the split plans, the manifest, writing and reading.
 */
package io.sparkvae.dataset;
