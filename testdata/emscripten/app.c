/* A small C program for the Emscripten glue fixtures: it reads the
 * environment and the clock, writes a file, reads its metadata and lists
 * a directory, so that its imports span several capabilities. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

int main(void) {
    const char *home = getenv("HOME");
    time_t now = time(NULL);
    printf("home=%s now=%ld\n", home ? home : "?", (long)now);
    FILE *f = fopen("notes.txt", "w");
    if (f) {
        fputs("hello\n", f);
        fclose(f);
    }
    struct stat st;
    if (stat("notes.txt", &st) == 0) {
        printf("size=%ld\n", (long)st.st_size);
    }
    DIR *d = opendir(".");
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            puts(e->d_name);
        }
        closedir(d);
    }
    return 0;
}
