/** The stages against a real S3 API server (S3Proxy on localhost) through the shipped S3A file system. */
package io.sparkvae.s3;
