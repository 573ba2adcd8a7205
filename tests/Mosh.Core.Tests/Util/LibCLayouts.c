/* What the C headers say about every struct and constant Mosh.Util.LibC declares: one "name value" line each.
   LibCLayoutTests compiles this with clang for each target (x86_64-linux-gnu, aarch64-linux-gnu), runs it
   (natively or under qemu) and compares every line with the C# side. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <syslog.h>
#include <termios.h>
#include <utmpx.h>
#include <zlib.h>

#define SIZE(t, name) printf("sizeof %s %zu\n", name, sizeof(t))
#define OFFSET(t, name, f) printf("offsetof %s.%s %zu\n", name, #f, offsetof(t, f))
#define CONSTANT(c) printf("const %s %ld\n", #c, (long)(c))

int main(void)
{
    SIZE(sigset_t, "sigset_t");
    SIZE(posix_spawnattr_t, "posix_spawnattr_t");
    SIZE(posix_spawn_file_actions_t, "posix_spawn_file_actions_t");

    SIZE(struct sigaction, "sigaction");
    OFFSET(struct sigaction, "sigaction", sa_handler);
    OFFSET(struct sigaction, "sigaction", sa_mask);
    OFFSET(struct sigaction, "sigaction", sa_flags);
    OFFSET(struct sigaction, "sigaction", sa_restorer);

    SIZE(struct termios, "termios");
    OFFSET(struct termios, "termios", c_iflag);
    OFFSET(struct termios, "termios", c_oflag);
    OFFSET(struct termios, "termios", c_cflag);
    OFFSET(struct termios, "termios", c_lflag);
    OFFSET(struct termios, "termios", c_line);
    OFFSET(struct termios, "termios", c_cc);
    OFFSET(struct termios, "termios", c_ispeed);
    OFFSET(struct termios, "termios", c_ospeed);

    SIZE(struct winsize, "winsize");
    OFFSET(struct winsize, "winsize", ws_row);
    OFFSET(struct winsize, "winsize", ws_col);
    OFFSET(struct winsize, "winsize", ws_xpixel);
    OFFSET(struct winsize, "winsize", ws_ypixel);

    SIZE(struct pollfd, "pollfd");
    OFFSET(struct pollfd, "pollfd", fd);
    OFFSET(struct pollfd, "pollfd", events);
    OFFSET(struct pollfd, "pollfd", revents);

    SIZE(struct iovec, "iovec");
    OFFSET(struct iovec, "iovec", iov_base);
    OFFSET(struct iovec, "iovec", iov_len);

    SIZE(struct msghdr, "msghdr");
    OFFSET(struct msghdr, "msghdr", msg_name);
    OFFSET(struct msghdr, "msghdr", msg_namelen);
    OFFSET(struct msghdr, "msghdr", msg_iov);
    OFFSET(struct msghdr, "msghdr", msg_iovlen);
    OFFSET(struct msghdr, "msghdr", msg_control);
    OFFSET(struct msghdr, "msghdr", msg_controllen);
    OFFSET(struct msghdr, "msghdr", msg_flags);

    SIZE(struct cmsghdr, "cmsghdr");
    OFFSET(struct cmsghdr, "cmsghdr", cmsg_len);
    OFFSET(struct cmsghdr, "cmsghdr", cmsg_level);
    OFFSET(struct cmsghdr, "cmsghdr", cmsg_type);

    SIZE(struct passwd, "passwd");
    OFFSET(struct passwd, "passwd", pw_name);
    OFFSET(struct passwd, "passwd", pw_passwd);
    OFFSET(struct passwd, "passwd", pw_uid);
    OFFSET(struct passwd, "passwd", pw_gid);
    OFFSET(struct passwd, "passwd", pw_gecos);
    OFFSET(struct passwd, "passwd", pw_dir);
    OFFSET(struct passwd, "passwd", pw_shell);

    SIZE(struct utmpx, "utmpx");
    OFFSET(struct utmpx, "utmpx", ut_type);
    OFFSET(struct utmpx, "utmpx", ut_line);
    OFFSET(struct utmpx, "utmpx", ut_user);
    OFFSET(struct utmpx, "utmpx", ut_host);
    OFFSET(struct utmpx, "utmpx", ut_session);
    OFFSET(struct utmpx, "utmpx", ut_tv);
    printf("sizeof utmpx.ut_type %zu\n", sizeof(((struct utmpx *)0)->ut_type));
    printf("sizeof utmpx.ut_line %zu\n", sizeof(((struct utmpx *)0)->ut_line));
    printf("sizeof utmpx.ut_user %zu\n", sizeof(((struct utmpx *)0)->ut_user));
    printf("sizeof utmpx.ut_host %zu\n", sizeof(((struct utmpx *)0)->ut_host));

    SIZE(z_stream, "z_stream");
    OFFSET(z_stream, "z_stream", next_in);
    OFFSET(z_stream, "z_stream", avail_in);
    OFFSET(z_stream, "z_stream", total_in);
    OFFSET(z_stream, "z_stream", next_out);
    OFFSET(z_stream, "z_stream", avail_out);
    OFFSET(z_stream, "z_stream", total_out);
    OFFSET(z_stream, "z_stream", msg);
    OFFSET(z_stream, "z_stream", state);
    OFFSET(z_stream, "z_stream", zalloc);
    OFFSET(z_stream, "z_stream", zfree);
    OFFSET(z_stream, "z_stream", opaque);
    OFFSET(z_stream, "z_stream", data_type);
    OFFSET(z_stream, "z_stream", adler);
    OFFSET(z_stream, "z_stream", reserved);

    SIZE(struct statx, "statx");
    OFFSET(struct statx, "statx", stx_uid);
    OFFSET(struct statx, "statx", stx_mode);
    CONSTANT(AT_FDCWD); CONSTANT(AT_SYMLINK_NOFOLLOW); CONSTANT(STATX_TYPE); CONSTANT(STATX_MODE); CONSTANT(STATX_UID);
    CONSTANT(S_IFMT); CONSTANT(S_IFDIR); CONSTANT(S_IFSOCK);

    CONSTANT(ENOENT); CONSTANT(EINTR); CONSTANT(EIO); CONSTANT(ECHILD); CONSTANT(EAGAIN);
    CONSTANT(O_RDONLY); CONSTANT(O_RDWR); CONSTANT(O_NOCTTY); CONSTANT(O_NONBLOCK); CONSTANT(O_CLOEXEC);
    CONSTANT(F_SETFD); CONSTANT(F_DUPFD_CLOEXEC); CONSTANT(F_GETFL); CONSTANT(F_SETFL);
    CONSTANT(TIOCGWINSZ); CONSTANT(TIOCSWINSZ);
    CONSTANT(TCSANOW); CONSTANT(TCSADRAIN);
    CONSTANT(IUTF8); CONSTANT(ISIG); CONSTANT(ICANON); CONSTANT(ECHO); CONSTANT(ICRNL); CONSTANT(OPOST);
    CONSTANT(POSIX_SPAWN_SETSIGDEF); CONSTANT(POSIX_SPAWN_SETSIGMASK); CONSTANT(POSIX_SPAWN_SETSID);
    CONSTANT(SIGPIPE); CONSTANT(SIG_DFL); CONSTANT(SIG_IGN); CONSTANT(WNOHANG);
    CONSTANT(POLLIN); CONSTANT(POLLPRI); CONSTANT(POLLOUT); CONSTANT(POLLERR); CONSTANT(POLLHUP); CONSTANT(POLLNVAL);
    CONSTANT(LC_ALL); CONSTANT(CODESET);
    CONSTANT(IPPROTO_IP); CONSTANT(IP_TOS); CONSTANT(IP_MTU_DISCOVER); CONSTANT(IP_RECVTOS); CONSTANT(IP_PMTUDISC_DONT);
    CONSTANT(MSG_DONTWAIT); CONSTANT(IF_NAMESIZE);
    CONSTANT(USER_PROCESS); CONSTANT(LOG_INFO);
    CONSTANT(Z_NO_FLUSH); CONSTANT(Z_FINISH); CONSTANT(Z_OK); CONSTANT(Z_STREAM_END); CONSTANT(Z_NEED_DICT);
    CONSTANT(Z_BUF_ERROR); CONSTANT(Z_DEFAULT_COMPRESSION);
    return 0;
}
