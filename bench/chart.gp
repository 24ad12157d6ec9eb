# bench/chart.gp: gnuplot -e "d='RESULTS_DIR'" bench/chart.gp -> d/chart.png
# Panels: pipe transfer by path and chunk; programs on files and pipes;
# scaling of paths a and c. Bars are medians, error bars min-max.
set terminal pngcairo size 1400,1500 font "DejaVu Sans,11"
set output d."/chart.png"
set multiplot layout 3,1 title "extmmap benchmarks (QEMU TCG guest: compare ratios only, not absolute MiB/s)"
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set key outside right top
set ylabel "MiB/s (median)"
set yrange [0:*]

set title "3. Pipe transfer of the full size, by path and chunk size (f does not touch the data)"
set xlabel "chunk size"
n = 6
plot for [i=0:n-1] d."/chart-transfer.dat" using 2+3*i:3+3*i:4+3*i:xtic(1) title columnheader(2+3*i)

set title "1./2. Programs: input file on tmpfs, or a pipe fed by write() of 64 KiB"
set xlabel ""
set xtics rotate by -20
plot d."/chart-programs.dat" using 2:3:4:xtic(1) title columnheader(2), \
     '' using 5:6:7 title columnheader(5)

set title "4. Scaling, 64 KiB chunks"
set style data linespoints
set xlabel "MiB moved"
set xtics norotate
set logscale x 2
plot for [i=2:3] d."/chart-scaling.dat" using 1:i title columnheader(i) lw 2 pt 7
unset multiplot
