/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cache of preprocessed files, kept between runs.  Every file of a
 * project imports the same SDK files (unknwn.idl, wtypes.idl, oaidl.idl
 * and what they import), and starting the preprocessor is most of the
 * cost of reading them: a cached file is its preprocessor output, reused
 * while nothing it was made from has changed.
 *
 * An entry holds its whole key (the preprocessor's identity, argument
 * vector, working directory and environment) and the files and
 * directories it depends on with their inode, size, mtime and ctime.
 * A lookup compares the key byte for byte and stats every dependency;
 * any difference is a miss.  The file name is only a hash of the key,
 * so a collision is a miss too, never a wrong result.  Entries are
 * written to a temporary file and renamed into place, so concurrent
 * runs see either a whole entry or none.
 */
#ifndef QRPC_IDL_CPP_CACHE_H
#define QRPC_IDL_CPP_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* The preprocessor's output and messages, as a hit returns them. */
struct cpp_cache_entry {
	char *out;		/* malloc'd, NUL-terminated */
	size_t out_len;
	char *err;		/* malloc'd, NUL-terminated, may be "" */
	size_t err_len;
};

/* A file or directory an entry depends on. */
struct cpp_cache_dep {
	const char *path;
	struct stat st;
};

/*
 * Look @key up in @dir.  0 and a filled *e on a hit whose dependencies
 * are unchanged; -1 on a miss of any kind (none, unreadable, corrupt,
 * another key, a dependency changed).
 */
int cpp_cache_get(const char *dir, const char *key, size_t key_len,
		  struct cpp_cache_entry *e);

/*
 * Store an entry for @key: the output and messages, and its
 * dependencies: @input (as stat'ed when it was read), every other file
 * the output's line markers name, the directory of each, and the @n_dirs
 * @dirs (the include path).  Nothing is stored if a dependency cannot
 * be stat'ed or changed less than two seconds ago (a change in the same
 * timestamp tick would go unseen).  Failures are silent: the cache only
 * saves time.
 */
void cpp_cache_put(const char *dir, const char *key, size_t key_len,
		   const char *input, const struct stat *input_st,
		   const char *const *dirs, unsigned n_dirs,
		   const char *out, size_t out_len,
		   const char *err, size_t err_len);

/*
 * Parse an entry's bytes (the fuzzer's entry point, and the lookup's).
 * With @key, the entry must be @key's.  0 and *e (copied out of @buf)
 * on success; -1 if the bytes are not a whole, well-formed entry.  When
 * @deps is not NULL it is called on each dependency in turn and a false
 * return fails the parse.
 */
int cpp_cache_parse(const char *buf, size_t len, const char *key,
		    size_t key_len,
		    bool (*deps)(const struct cpp_cache_dep *dep),
		    struct cpp_cache_entry *e);

void cpp_cache_entry_free(struct cpp_cache_entry *e);

/*
 * The files named by the line markers of preprocessor output @out:
 * calls @fn once per distinct name other than "<stdin>", "<built-in>"
 * and "<command-line>", with the unquoted, NUL-terminated name.
 */
void cpp_cache_marked_files(const char *out, size_t len,
			    void (*fn)(void *ctx, const char *name),
			    void *ctx);

/*
 * The default cache directory: $QRPC_IDL_CACHE_DIR if set (empty: no
 * cache), else $XDG_CACHE_HOME/qrpc-idl, else $HOME/.cache/qrpc-idl;
 * NULL for none.  Malloc'd.
 */
char *cpp_cache_default_dir(void);

#endif
