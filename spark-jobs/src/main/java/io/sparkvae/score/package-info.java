/** The score command's library: image files through the model's one scoring path into tables, a summary and a picture. */
package io.sparkvae.score;
