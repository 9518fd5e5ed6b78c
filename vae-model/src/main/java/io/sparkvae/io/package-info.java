/** Reading and writing Hadoop FileSystem URIs (local paths and {@code hdfs://} alike), with atomic commits. */
package io.sparkvae.io;
