import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Copies a 64-bit little-endian ELF shared library (x86-64, aarch64) without its static symbol table (.symtab and the
 * .strtab it names), what {@code strip} also drops, so that the build needs no binutils. Run by spark-jobs/pom.xml on
 * libnd4jcpu.so (22.7 MB of its 315 MB, 2.9 MB of the job jar) with the JDK's source launcher:
 * {@code java StripSymbolTable.java IN OUT}.
 *
 * <p>The dynamic loader never reads the section headers or these two sections: it maps the program headers'
 * segments, whose bytes (and .dynsym, .dynstr, the relocations, the unwind tables) are copied unchanged. Only the
 * sections that lie after every segment move; the section headers are rewritten with their indices renumbered. An
 * input laid out otherwise (a symbol table inside a segment, relocations that name it) fails the build rather than
 * being rewritten by guesswork; an input without a symbol table is copied as it is.
 */
public final class StripSymbolTable {
    private static final int SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_NOBITS = 8, SHT_REL = 9;
    private static final long SHF_ALLOC = 0x2, SHF_INFO_LINK = 0x40;
    private static final int SHDR = 64;

    public static void main(String[] args) throws IOException {
        if (args.length != 2) throw new IllegalArgumentException("usage: java StripSymbolTable.java IN OUT");
        Path in = Path.of(args[0]), out = Path.of(args[1]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (FileChannel src = FileChannel.open(in, StandardOpenOption.READ)) {
            strip(in, src, out);
        }
    }

    private static void strip(Path in, FileChannel src, Path out) throws IOException {
        ByteBuffer eh = read(src, 0, 64);
        if (eh.getInt(0) != 0x464c457f) fail(in, "not an ELF file");
        if (eh.get(4) != 2 || eh.get(5) != 1) fail(in, "not a 64-bit little-endian ELF file");
        long phoff = eh.getLong(0x20), shoff = eh.getLong(0x28);
        int phentsize = eh.getShort(0x36) & 0xffff, phnum = eh.getShort(0x38) & 0xffff;
        int shentsize = eh.getShort(0x3a) & 0xffff, shnum = eh.getShort(0x3c) & 0xffff;
        int shstrndx = eh.getShort(0x3e) & 0xffff;
        if (shoff == 0 || shnum == 0 || shentsize != SHDR || shstrndx >= shnum) fail(in, "unexpected section header table");

        ByteBuffer sh = read(src, shoff, (long) shnum * SHDR);
        int symtab = -1;
        for (int i = 0; i < shnum; i++) {
            if (type(sh, i) == SHT_SYMTAB) {
                if (symtab >= 0) fail(in, "two symbol tables");
                symtab = i;
            }
        }
        if (symtab < 0) {
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            System.out.println(in.getFileName() + ": no symbol table, copied as it is");
            return;
        }
        int strtab = link(sh, symtab);
        if (strtab <= 0 || strtab >= shnum || type(sh, strtab) != SHT_STRTAB || strtab == shstrndx)
            fail(in, ".symtab's string table is not a section of its own");

        // Where the segments end in the file: nothing the loader maps may move.
        ByteBuffer ph = read(src, phoff, (long) phnum * phentsize);
        long segmentsEnd = 0;
        for (int i = 0; i < phnum; i++) {
            int o = i * phentsize;
            segmentsEnd = Math.max(segmentsEnd, ph.getLong(o + 8) + ph.getLong(o + 32));
        }
        for (int r : new int[] {symtab, strtab}) {
            if ((flags(sh, r) & SHF_ALLOC) != 0 || offset(sh, r) < segmentsEnd) fail(in, "symbol table inside a segment");
        }
        long cut = Math.min(offset(sh, symtab), offset(sh, strtab));

        // The sections kept, renumbered; those from the cut on are written again after it, in file order.
        int[] newIndex = new int[shnum];
        List<Integer> kept = new ArrayList<>(), moved = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            if (i == symtab || i == strtab) { newIndex[i] = -1; continue; }
            newIndex[i] = kept.size();
            kept.add(i);
            int t = type(sh, i);
            if ((t == SHT_REL || t == SHT_RELA) && link(sh, i) == symtab) fail(in, "relocations refer to .symtab");
            if (i != 0 && t != SHT_NOBITS && offset(sh, i) >= cut) {
                if ((flags(sh, i) & SHF_ALLOC) != 0 || offset(sh, i) < segmentsEnd) fail(in, "a mapped section after .symtab");
                moved.add(i);
            }
        }
        moved.sort(Comparator.comparingLong(i -> offset(sh, i)));

        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        long[] newOffset = new long[shnum];
        try (FileChannel dst = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            copy(src, 0, cut, dst);
            long pos = cut;
            for (int i : moved) {
                pos = pad(dst, pos, Math.max(1, sh.getLong(i * SHDR + 48)));
                newOffset[i] = pos;
                copy(src, offset(sh, i), sh.getLong(i * SHDR + 32), dst);
                pos += sh.getLong(i * SHDR + 32);
            }
            long newShoff = pad(dst, pos, 8);
            ByteBuffer nsh = ByteBuffer.allocate(kept.size() * SHDR).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < kept.size(); k++) {
                int i = kept.get(k);
                ByteBuffer h = sh.slice(i * SHDR, SHDR).order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer n = nsh.slice(k * SHDR, SHDR).order(ByteOrder.LITTLE_ENDIAN);
                n.put(h);
                if (moved.contains(i)) n.putLong(24, newOffset[i]);
                n.putInt(40, renumber(in, newIndex, link(sh, i)));
                long f = flags(sh, i);
                int t = type(sh, i);
                if ((f & SHF_INFO_LINK) != 0 || ((t == SHT_REL || t == SHT_RELA) && sh.getInt(i * SHDR + 44) != 0))
                    n.putInt(44, renumber(in, newIndex, sh.getInt(i * SHDR + 44)));
            }
            write(dst, newShoff, nsh.rewind());
            ByteBuffer neh = read(src, 0, 64);
            neh.putLong(0x28, newShoff);
            neh.putShort(0x3c, (short) kept.size());
            neh.putShort(0x3e, (short) newIndex[shstrndx]);
            write(dst, 0, neh.rewind());
            System.out.printf("%s: dropped .symtab and .strtab, %,d -> %,d bytes%n", in.getFileName(), src.size(),
                    newShoff + nsh.capacity());
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int renumber(Path in, int[] newIndex, int index) {
        if (index == 0) return 0;
        if (index >= newIndex.length || newIndex[index] < 0) fail(in, "a kept section refers to .symtab or .strtab");
        return newIndex[index];
    }

    private static int type(ByteBuffer sh, int i) { return sh.getInt(i * SHDR + 4); }
    private static long flags(ByteBuffer sh, int i) { return sh.getLong(i * SHDR + 8); }
    private static long offset(ByteBuffer sh, int i) { return sh.getLong(i * SHDR + 24); }
    private static int link(ByteBuffer sh, int i) { return sh.getInt(i * SHDR + 40); }

    private static ByteBuffer read(FileChannel ch, long pos, long size) throws IOException {
        if (size > Integer.MAX_VALUE || pos + size > ch.size()) throw new IOException("truncated ELF file");
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) if (ch.read(b, pos + b.position()) < 0) throw new IOException("truncated ELF file");
        return b.rewind();
    }

    private static void write(FileChannel ch, long pos, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b, pos + b.position());
    }

    private static void copy(FileChannel src, long pos, long size, FileChannel dst) throws IOException {
        if (pos + size > src.size()) throw new IOException("truncated ELF file");
        long done = 0;
        while (done < size) done += src.transferTo(pos + done, size - done, dst);
    }

    private static long pad(FileChannel dst, long pos, long align) throws IOException {
        long next = (pos + align - 1) / align * align;
        if (next > pos) write(dst, pos, ByteBuffer.allocate((int) (next - pos)));
        dst.position(next);
        return next;
    }

    private static void fail(Path in, String why) {
        throw new IllegalStateException(in + ": " + why + "; not stripped (see spark-jobs/src/build/StripSymbolTable.java)");
    }
}
