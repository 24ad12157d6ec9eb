cd /work/main 2>/dev/null || cd /
exec bench/counts.sh 32M 4K\ 64K\ 1M a\ b\ c\ d\ e\ f
